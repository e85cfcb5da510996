#1709280000
apt update
#1709280060
apt install -y git curl vim
#1709280200
git clone https://salsa.debian.org/debian/hello.git
cd hello
git log --oneline | head
curl -I https://example.com
wget https://deb.debian.org/debian/README
systemctl status ssh
history | tail
chmod +x /usr/local/bin/backup.sh
sudo -i
exit
