
2.1.0Hóa đơn giá trị gia tăng1"C26TAA(2
2026-11-20:VNDJTM/CKj�
4Công ty TNHH Thử Nghiệm Hóa Đơn Điện Tử
9911234577DSố 1 Đường Thử Nghiệm, Phường Mẫu, Thành phố Thử"
0240000000*hoadon@example.invalidr�
0Công ty Cổ phần Người Mua Thử Nghiệm
9916543219>Số 2 Đường Ví Dụ, Phường Mẫu, Thành phố ThửBNguyễn Văn ThửzGSP1"Giấy in A4 (thử nghiệm)*Thùng210:85000R850000Z8%zSSP2"'Dịch vụ bảo trì (thử nghiệm)*Lần21:1200000R1200000Z10%zKSP3"!Sách giáo khoa (thử nghiệm)*Cuốn23:45500R136500ZKCT��

8%85000068000

10%1200000120000

KCT13650002186500188000"0*23745002?Hai triệu ba trăm bảy mươi tư nghìn năm trăm đồng